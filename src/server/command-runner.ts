/**
 * Applies the command log to this server's engine, and distributes the statements clients send.
 *
 * Start-up: every command in the log is applied in order with the driver in replay mode (the
 * metastore is rebuilt, nothing starts), then the surviving queries start — the same queries on
 * every server, each running its share of their partitions. Afterwards each new command is
 * applied as it arrives, whichever server issued it, so TERMINATE and DROP stop a query
 * everywhere.
 *
 * A client's statement is first validated on a sandbox copy of the engine (nothing runs), then
 * appended; the server answers once it has applied that command itself, with the outcome of that
 * application. A command that fails when applied (another server's command came first and
 * changed things) fails on every server alike, since they apply the same log from the same state.
 */
import { KsqlError } from '../common/errors.js';
import type { Engine, StatementResult } from '../engine/engine.js';
import { parseStatements, type ParsedStatement } from '../parser/index.js';
import type { Statement } from '../parser/ast.js';
import { CommandDriver } from './command-driver.js';
import { COMMAND_FORMAT_VERSION, newCommandUuid, type Command, type CommandStore, type LoggedCommand } from './command-topic.js';
import { withRequestConfig } from './context.js';
import { randomUUID } from 'node:crypto';

/** Statement types that change the metastore: they go through the command log. */
const COMMAND_TYPES = new Set<Statement['type']>(['CreateSource', 'CreateAsSelect', 'InsertInto', 'DropSource', 'Terminate', 'CreateType', 'DropType', 'AlterSource', 'AlterSystem']);

export function isCommand(s: Statement): boolean {
  return COMMAND_TYPES.has(s.type);
}

export type Outcome = { offset: number; result: StatementResult } | { offset: number; error: Error };

export interface RunnerHooks {
  info(msg: string): void;
  warn(msg: string): void;
  /** every applied command, whoever issued it (for /status) */
  onApplied?(cmd: Command, outcome: Outcome): void;
  /** TERMINATE CLUSTER was applied (after every query stopped) */
  onTerminateCluster?(cmd: Command, origin: boolean): Promise<void> | void;
}

export class CommandTimeoutError extends Error {}

/** how long a request waits for its own command to come back from the log and run */
const APPLY_TIMEOUT_MS = 30_000;

/**
 * A runner for `engine`. An engine built over a CommandDriver gets the full behaviour (replay,
 * follower mode); over another driver (tests, in-memory servers) the runner can only validate
 * and apply, which is all a log kept in memory ever asks of it.
 */
export function commandRunnerFor(engine: Engine, store: CommandStore, hooks: RunnerHooks): CommandRunner {
  const driver = engine.driver instanceof CommandDriver ? engine.driver : new CommandDriver(engine.driver);
  return new CommandRunner(engine, driver, store, hooks);
}

export class CommandRunner {
  /** this server's identity in the log (a fresh one per run) */
  readonly serverId = randomUUID();
  private applied = -1;
  private replaying = true;
  private readonly mine = new Map<string, (o: Outcome) => void>();
  private seqWaiters: { offset: number; resolve: () => void }[] = [];
  private failure: Error | undefined;

  constructor(
    readonly engine: Engine,
    readonly driver: CommandDriver,
    readonly store: CommandStore,
    private hooks: RunnerHooks,
  ) {}

  /** Adds hooks (the REST server's, once it exists). */
  listen(more: Partial<RunnerHooks>): void {
    this.hooks = { ...this.hooks, ...more };
  }

  /** the offset of the last command applied here (-1: none) */
  get appliedOffset(): number {
    return this.applied;
  }

  /** Replays the log, starts the queries it leaves running, then keeps following it. */
  async start(): Promise<{ commands: number; failed: number; queries: number }> {
    const started = Date.now();
    let commands = 0;
    let failed = 0;
    this.driver.mode = 'replay';
    await this.driver.refreshTopics();
    await this.store.follow(
      async (cmds) => {
        if (!this.replaying) await this.driver.refreshTopics().catch((err: Error) => this.hooks.warn(`refreshing topic metadata failed: ${err.message}`));
        for (const c of cmds) {
          const o = this.apply(c);
          if (this.replaying) {
            commands++;
            if ('error' in o) failed++;
          }
        }
      },
      (err, fatal) => {
        this.hooks.warn(err.message);
        if (fatal) this.failure = err;
      },
    );
    this.replaying = false;
    const { queries } = this.driver.finishReplay();
    this.hooks.info(`${this.store.description}: replayed ${commands} commands (${failed} failed) in ${Date.now() - started} ms; ${queries} persistent queries started`);
    return { commands, failed, queries };
  }

  /** Whether the runner follows the log (for /healthcheck's commandRunner). */
  healthy(): boolean {
    return this.failure === undefined;
  }

  private apply({ offset, command }: LoggedCommand): Outcome {
    if (offset <= this.applied) return { offset, error: new Error('already applied') };
    const origin = command.origin === this.serverId;
    this.driver.mode = this.replaying ? 'replay' : origin ? 'origin' : 'follower';
    let outcome: Outcome;
    try {
      outcome = { offset, result: this.run(command, origin) };
    } catch (err) {
      outcome = { offset, error: err as Error };
      if (!origin && !this.replaying) this.hooks.warn(`command ${command.id} (offset ${offset}) failed here: ${(err as Error).message}`);
    } finally {
      if (!this.replaying) this.driver.mode = 'origin';
    }
    this.applied = offset;
    this.hooks.onApplied?.(command, outcome);
    this.mine.get(command.uuid)?.(outcome);
    this.mine.delete(command.uuid);
    const due = this.seqWaiters.filter((w) => w.offset <= offset);
    this.seqWaiters = this.seqWaiters.filter((w) => w.offset > offset);
    for (const w of due) w.resolve();
    return outcome;
  }

  private run(command: Command, origin: boolean): StatementResult {
    if (command.kind === 'terminate-cluster') {
      this.engine.executeScript('TERMINATE ALL;');
      this.engine.metastore.sources.clear();
      this.engine.metastore.types.clear();
      if (!this.replaying) void Promise.resolve(this.hooks.onTerminateCluster?.(command, origin)).catch((err: Error) => this.hooks.warn(`terminating the cluster: ${err.message}`));
      return { kind: 'Message', message: 'Cluster terminated.' };
    }
    const parsed = parseStatements(command.statement);
    if (parsed.length !== 1) throw new KsqlError(`A command holds one statement, found ${parsed.length}`);
    return withRequestConfig(this.engine, command.properties, () => this.engine.execute(parsed[0]!));
  }

  /** A sandbox engine over a driver that only pretends: statements are validated on it. */
  sandbox(): Engine {
    return this.engine.sandbox(this.driver.dryRun());
  }

  /** Appends a command and waits until this server applied it; rejects with its error. */
  async submit(ps: ParsedStatement, id: string, props: Record<string, unknown>): Promise<{ offset: number; result: StatementResult }> {
    return this.distribute({ id, uuid: newCommandUuid(), kind: 'statement', statement: ps.text, properties: props, origin: this.serverId, version: COMMAND_FORMAT_VERSION });
  }

  async terminateCluster(deleteTopicList: string[]): Promise<{ offset: number; result: StatementResult }> {
    return this.distribute({ id: 'cluster/TerminateCluster/terminate', uuid: newCommandUuid(), kind: 'terminate-cluster', statement: 'TERMINATE CLUSTER;', properties: {}, origin: this.serverId, deleteTopicList, version: COMMAND_FORMAT_VERSION });
  }

  private async distribute(cmd: Command): Promise<{ offset: number; result: StatementResult }> {
    if (this.failure) throw new Error(`The command runner stopped: ${this.failure.message}`);
    const outcome = new Promise<Outcome>((resolve) => this.mine.set(cmd.uuid, resolve));
    try {
      await this.store.append(cmd);
    } catch (err) {
      this.mine.delete(cmd.uuid);
      throw new Error(`Could not write the command to the ${this.store.description}: ${(err as Error).message}`, { cause: err });
    }
    // the log reader may have stopped: answer rather than hang (the command stays in the log and
    // takes effect when this server's runner reaches it)
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.mine.delete(cmd.uuid);
        reject(new CommandTimeoutError(`Timed out waiting for the command ${cmd.id} to be applied from the ${this.store.description} (${APPLY_TIMEOUT_MS} ms); it was written and will run when the server reaches it.`));
      }, APPLY_TIMEOUT_MS);
    });
    try {
      const o = await Promise.race([outcome, timeout]);
      if ('error' in o) throw o.error;
      return o;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once commands up to `offset` are applied here (a client's commandSequenceNumber). */
  async waitFor(offset: number, timeoutMs: number): Promise<void> {
    if (offset <= this.applied) return;
    await new Promise<void>((resolve, reject) => {
      const w = { offset, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.seqWaiters = this.seqWaiters.filter((x) => x !== w);
        reject(new CommandTimeoutError(`Timed out while waiting for a previous command to execute. command sequence number: ${offset}`));
      }, timeoutMs);
      this.seqWaiters.push(w);
    });
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
