using Microsoft.Playwright;

namespace CollectorCluster.WebTests;

/// <summary>
/// Where the browser tests save a screenshot of each page: <c>$CC_TEST_RESULTS/screenshots</c> (scripts/test.sh's
/// results directory), else <c>TestResults/screenshots</c> beside the test assembly. With <c>CC_DOCS_SCREENSHOTS</c>
/// set to a directory (the repository's <c>docs/console</c>), the README's pictures are written there too.
/// </summary>
internal static class Screenshots
{
    /// <summary>The pictures the README shows.</summary>
    private static readonly string[] ForReadme = ["mailboxes.png", "collector-window.png"];

    public static string Directory
    {
        get
        {
            var results = Environment.GetEnvironmentVariable("CC_TEST_RESULTS");
            var directory = Path.Combine(string.IsNullOrEmpty(results) ? Path.Combine(AppContext.BaseDirectory, "TestResults") : results, "screenshots");
            System.IO.Directory.CreateDirectory(directory);
            return directory;
        }
    }

    /// <summary>Saves the whole page as <paramref name="name"/> (a .png file name); returns the path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        if (Environment.GetEnvironmentVariable("CC_DOCS_SCREENSHOTS") is { Length: > 0 } docs && ForReadme.Contains(name))
        {
            System.IO.Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name), overwrite: true);
        }

        return path;
    }
}
