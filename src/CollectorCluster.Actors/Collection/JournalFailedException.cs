namespace CollectorCluster.Actors.Collection;

/// <summary>
/// The account's journal could not record what a session asked it to (a disk turned read-only, the database gone):
/// nothing of that write is known to be recorded, so the session must not act on it (no DELE, no QUIT).
/// </summary>
public sealed class JournalFailedException : Exception
{
    /// <summary>Creates the error with its cause.</summary>
    public JournalFailedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
