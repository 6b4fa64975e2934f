namespace CollectorCluster.Testing;

/// <summary>
/// One private Dovecot shared by a whole test assembly or collection (xunit v3 <c>AssemblyFixture</c> or
/// <c>ICollectionFixture</c>): starting a server per test class is slow, so classes share it and isolate
/// themselves by creating their own uniquely named users.
/// </summary>
public class DovecotFixture : IAsyncLifetime
{
    private DovecotServer? server;

    /// <summary>The running server; throws if used before xunit initialised the fixture.</summary>
    public DovecotServer Server => server ?? throw new InvalidOperationException("DovecotFixture is not initialised yet.");

    /// <summary>Starts the server.</summary>
    public async ValueTask InitializeAsync() =>
        server = await DovecotServer.StartAsync(CreateOptions(), TestContext.Current.CancellationToken).ConfigureAwait(false);

    /// <summary>Stops the server and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            server = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Override to pass extra Dovecot config lines or a specific certificate.</summary>
    protected virtual DovecotServerOptions CreateOptions() => new();
}
