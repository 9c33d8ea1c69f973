import { bundleHash } from './bundle-hash.ts';
import { readBundle, type BundleContents, type CompiledOperation } from './bundle-reader.ts';
import type { Decision, PolicyReference } from './decision.ts';
import type { PolicyInput } from './policy-input.ts';
import { evaluateOperation } from './policy-evaluator.ts';
import type { CompiledRule } from './rule-compiler.ts';

export { PolicyLoadError } from './policy-load-error.ts';
export type { CertificateFacts, PolicyInput } from './policy-input.ts';
export type { CompiledRule } from './rule-compiler.ts';

/** A loaded, type-checked set of guard rules (one `policies/` directory) at one revision. Immutable. */
export class PolicyBundle {
  readonly name: string;
  readonly revision: string;
  /** SHA-256 of the bundle's files (see bundle-hash.ts). */
  readonly hash: string;
  /** The files the bundle was read from, by name: what is stored when it is activated. */
  readonly sources: ReadonlyMap<string, string>;
  readonly dir: string;
  readonly description?: string;
  /** Values of params.yaml, as the rules see them in `params`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly #operations: ReadonlyMap<string, CompiledOperation>;
  readonly #identity;

  constructor(contents: BundleContents) {
    this.name = contents.name;
    this.revision = contents.revision;
    this.sources = contents.sources;
    this.hash = bundleHash(contents.sources);
    this.dir = contents.dir;
    if (contents.description !== undefined) this.description = contents.description;
    this.params = contents.params;
    this.#operations = contents.operations;
    this.#identity = { policy: this.reference(), params: this.params };
  }

  /** How decisions name this bundle. */
  reference(): PolicyReference {
    return { name: this.name, revision: this.revision, hash: this.hash };
  }

  /** Operations that have a rule file, sorted. */
  operations(): string[] {
    return [...this.#operations.keys()].sort();
  }

  rulesFor(operation: string): readonly CompiledRule[] {
    return this.#operations.get(operation)?.rules ?? [];
  }

  /** Decides `operation` for `input`; an operation without a rule file is allowed with no rules. Never throws. */
  evaluate(operation: string, input: PolicyInput): Decision {
    return evaluateOperation(this.#identity, operation, this.#operations.get(operation), input);
  }
}

export async function loadPolicyBundle(dir: string): Promise<PolicyBundle> {
  return new PolicyBundle(await readBundle(dir));
}
