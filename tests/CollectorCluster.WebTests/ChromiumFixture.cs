using Microsoft.Playwright;

namespace CollectorCluster.WebTests;

/// <summary>
/// One headless Chromium per test class: Debian's <c>/usr/bin/chromium</c> driven by Playwright's own driver (in the
/// NuGet package), never a downloaded browser, a fresh profile per launch, nothing reaching outside this machine.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium (scripts/install-test-deps.sh installs it).</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The browser.</summary>
    public IBrowser Browser => browser ?? throw new InvalidOperationException("Chromium is not started yet.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: run scripts/install-test-deps.sh (it installs Debian's chromium)");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
