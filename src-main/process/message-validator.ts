// Schema checks for both directions of a process link: refuse a bad outgoing message, drop and report a bad incoming one.
import type { z } from 'zod';
import { StudioError } from '../../src-core/errors';
import { describeDetails, detailsOf } from '../../src-core/validation';

/** Describes a zod failure as 'path: problem' pairs. */
function describeZodIssues(error: z.ZodError): string {
  return describeDetails(detailsOf(error));
}

/** Validates outgoing messages against one schema and incoming ones against another, fanning valid ones out. */
export class MessageValidator<Out extends z.ZodType, In extends z.ZodType> {
  private readonly listeners = new Set<(message: z.output<In>) => void>();
  private readonly invalidListeners = new Set<(problem: string) => void>();

  constructor(
    private readonly outgoing: Out,
    private readonly incoming: In,
  ) {}

  /** The checked form of an outgoing message; throws invalid-message if the schema refuses it. */
  checkOutgoing(message: unknown): z.output<Out> {
    const parsed = this.outgoing.safeParse(message);
    if (!parsed.success) throw new StudioError('invalid-message', `refused to send an invalid message: ${describeZodIssues(parsed.error)}`);
    return parsed.data;
  }

  /** Checks a received message and hands it to the listeners, or reports why it was dropped. */
  receive(raw: unknown): void {
    const parsed = this.incoming.safeParse(raw);
    if (!parsed.success) {
      const problem = `dropped an invalid message: ${describeZodIssues(parsed.error)}`;
      for (const l of [...this.invalidListeners]) l(problem);
      return;
    }
    for (const l of [...this.listeners]) l(parsed.data);
  }

  /** Listens to valid incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: z.output<In>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to dropped incoming messages; returns the unsubscribe function. */
  onInvalid(listener: (problem: string) => void): () => void {
    this.invalidListeners.add(listener);
    return () => this.invalidListeners.delete(listener);
  }
}
