namespace CollectorCluster.Testing.Faults;

/// <summary>What a <see cref="Pop3FaultProxy"/> does when its fault point is reached.</summary>
public enum Pop3FaultAction
{
    /// <summary>Closes the link both ways at once (the server sees the client go without QUIT; the client sees the end of the stream).</summary>
    Cut,

    /// <summary>Forwards nothing more until <see cref="Pop3FaultProxy.Release"/>: the collector waits there while the test acts (kill -9, SIGTERM, a broken journal).</summary>
    Hold,
}
