namespace CollectorCluster.Testing.Faults;

/// <summary>Where one byte of a POP3 server's stream is: which reply, and its offsets.</summary>
/// <param name="Verb">The command the reply answers (<c>RETR</c>, <c>CAPA</c>, ...; <see cref="Pop3ResponseTracker.Greeting"/> for the greeting).</param>
/// <param name="Occurrence">1 for the first reply to that command on the connection, 2 for the next, ...</param>
/// <param name="Offset">The byte's offset in its reply (0 = the status line's first byte).</param>
/// <param name="StreamOffset">The byte's offset in the server's whole stream on the connection.</param>
public readonly record struct Pop3BytePosition(string Verb, int Occurrence, long Offset, long StreamOffset);
