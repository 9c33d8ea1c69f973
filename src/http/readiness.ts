/**
 * Readiness: may this process take traffic? bootstrap.ts marks the start-up steps done (migrations applied,
 * rule bundle active, sealer running); GET /ready (system.routes.ts) adds a live database check and answers
 * 503 until everything holds. Kept apart from /health, which only says the process is alive: an orchestrator
 * restarts a process whose liveness fails, but only stops routing to one that is not ready.
 */
export type StartupStep = 'migrations' | 'bundle' | 'sealer';

export interface Readiness {
  mark(step: StartupStep): void;
  /** Set by main.ts when it drains: a draining process answers not-ready so the load balancer stops sending. */
  draining: boolean;
  readonly steps: ReadonlySet<StartupStep>;
}

export const ALL_STEPS: readonly StartupStep[] = ['migrations', 'bundle', 'sealer'];

export function createReadiness(): Readiness {
  const steps = new Set<StartupStep>();
  return {
    mark: (step) => void steps.add(step),
    draining: false,
    steps,
  };
}
