/**
 * Whether this process should be sent traffic: `/readyz` answers 503 until start-up has finished
 * everything it was asked to do (migrations, the demo platform, background workers), so that a
 * probe that trusts it never routes a client to a server that would say "no such platform".
 * `/healthz` only says that the process answers.
 */
export interface Readiness {
  readonly ready: boolean;
  markReady(): void;
}

export function createReadiness(): Readiness {
  let ready = false;
  return {
    get ready() {
      return ready;
    },
    markReady() {
      ready = true;
    },
  };
}
