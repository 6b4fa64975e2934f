using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>One fault lab (private Dovecot with LMTP, a shared in-process node) for the whole assembly.</summary>
public sealed class FaultLabFixture : IAsyncLifetime
{
    private FaultLab? lab;

    /// <summary>The running lab.</summary>
    public FaultLab Lab => lab ?? throw new InvalidOperationException("The fault lab is not started yet.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync() =>
        lab = await FaultLab.StartAsync(new FaultLabOptions(), TestContext.Current.CancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (lab is not null)
        {
            await lab.DisposeAsync();
        }
    }
}
