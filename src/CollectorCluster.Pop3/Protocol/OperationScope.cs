namespace CollectorCluster.Pop3.Protocol;

/// <summary>Ends a <see cref="Pop3Wire"/> operation with <c>using</c>, so the per-operation timer is always released.</summary>
internal readonly struct OperationScope : IDisposable
{
    private readonly Pop3Wire? _wire;

    /// <summary>Binds the scope to its wire.</summary>
    public OperationScope(Pop3Wire wire) => _wire = wire;

    /// <inheritdoc />
    public void Dispose() => _wire?.EndOperation();
}
