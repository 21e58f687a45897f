/**
 * Per-subject data keys. Destroying a subject's key is erasure: the events keep their shape but
 * the subject's personal fields can no longer be read.
 */
export interface SubjectKeyStore {
  /**
   * The subject's key, created on first use and durable before it is returned; undefined once it
   * has been destroyed.
   */
  keyFor(subjectId: string): Promise<Buffer | undefined>;
  /**
   * As keyFor, for sealing events to be appended through this store's own database connection: a
   * new key may be handed out before it is durable, as long as it commits no later than anything
   * appended over that connection after it was handed out.
   */
  keyForSealing(subjectId: string): Promise<Buffer | undefined>;
  /** The subject's key if it exists and was not destroyed; never creates one. */
  existingKey(subjectId: string): Promise<Buffer | undefined>;
  /** Destroys the key for good; later keyFor calls answer undefined. */
  destroy(
    subjectId: string,
    record: { erasedAt: string; erasedBy: string; requestRef: string },
  ): Promise<void>;
  isErased(subjectId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const SUBJECT_KEY_STORE = Symbol('SUBJECT_KEY_STORE');
