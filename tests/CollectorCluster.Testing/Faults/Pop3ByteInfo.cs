namespace CollectorCluster.Testing.Faults;

/// <summary>What <see cref="Pop3ResponseTracker.Peek"/> knows of the server's next byte before it is forwarded.</summary>
/// <param name="Position">Its reply and offsets.</param>
/// <param name="First">It starts a reply.</param>
/// <param name="Last">It completes a reply (the client has the whole reply once it has this byte).</param>
public readonly record struct Pop3ByteInfo(Pop3BytePosition Position, bool First, bool Last);
