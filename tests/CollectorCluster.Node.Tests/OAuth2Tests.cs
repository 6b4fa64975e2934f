using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.OAuth2;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// XOAUTH2 with a refresh token the collector trades itself: a local token endpoint (HttpListener) and a scripted
/// POP3 server that checks the SASL payload. Refresh before expiry, refresh once after a refused token, and a refused
/// refresh token (invalid_grant) that leaves the account waiting for an operator, with no secret in any output.
/// </summary>
public sealed class OAuth2Tests : IDisposable
{
    // Marked (TestSecrets.Marker), so the secrets scan after the suite would find any of them in a log or journal.
    private const string RefreshToken = "1//refresh-SECRET-" + TestSecrets.Marker + "refresh_4f7a";
    private const string ClientSecret = "client-SECRET-" + TestSecrets.Marker + "client_9b2c";
    private const string Tok1 = TestSecrets.Marker + "tok-1";
    private const string Tok2 = TestSecrets.Marker + "tok-2";
    private const string Tok3 = TestSecrets.Marker + "tok-3";
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-oauth2-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OAuth2Settings Settings(Uri endpoint) => new(endpoint, "client-1", new Secret(ClientSecret), new Secret(RefreshToken), "https://mail.google.com/");

    [Fact]
    public async Task Token_is_fetched_once_then_cached_until_it_nears_expiry()
    {
        await using var endpoint = new LocalTokenEndpoint();
        endpoint.AnswerToken(Tok1, expiresIn: 3600);
        endpoint.AnswerToken(Tok2, expiresIn: 3600);
        var clock = new SteppedClock(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        using var source = new OAuth2TokenSource(clock);

        Assert.Equal(Tok1, (await source.GetAsync("a", Settings(endpoint.Url), false, Ct)).Reveal());
        Assert.Equal(Tok1, (await source.GetAsync("a", Settings(endpoint.Url), false, Ct)).Reveal());
        Assert.Single(endpoint.Requests);
        var form = endpoint.Requests[0];
        Assert.Equal("refresh_token", form["grant_type"]);
        Assert.Equal(RefreshToken, form["refresh_token"]);
        Assert.Equal("client-1", form["client_id"]);
        Assert.Equal(ClientSecret, form["client_secret"]);
        Assert.Equal("https://mail.google.com/", form["scope"]);

        clock.Advance(TimeSpan.FromMinutes(54)); // 6 minutes left: outside the 5-minute margin
        Assert.Equal(Tok1, (await source.GetAsync("a", Settings(endpoint.Url), false, Ct)).Reveal());
        clock.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: refreshed before use
        Assert.Equal(Tok2, (await source.GetAsync("a", Settings(endpoint.Url), false, Ct)).Reveal());
        Assert.Equal(2, endpoint.Requests.Count);
    }

    [Fact]
    public async Task Invalid_grant_is_a_refusal_that_names_the_endpoint_and_no_secret()
    {
        await using var endpoint = new LocalTokenEndpoint();
        endpoint.Answer(400, $"{{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked: {RefreshToken}\"}}");
        using var source = new OAuth2TokenSource(TimeProvider.System);

        var ex = await Assert.ThrowsAsync<OAuth2Exception>(() => source.GetAsync("a", Settings(endpoint.Url), false, Ct));

        Assert.True(ex.GrantRefused);
        Assert.Contains("invalid_grant", ex.Message);
        Assert.Contains(endpoint.Url.ToString(), ex.Message);
        Assert.DoesNotContain("SECRET", ex.ToString());
    }

    [Fact]
    public async Task Server_error_at_the_endpoint_is_transient()
    {
        await using var endpoint = new LocalTokenEndpoint();
        endpoint.Answer(503, "{\"error\":\"temporarily_unavailable\"}");
        using var source = new OAuth2TokenSource(TimeProvider.System);
        var ex = await Assert.ThrowsAsync<OAuth2Exception>(() => source.GetAsync("a", Settings(endpoint.Url), false, Ct));
        Assert.False(ex.GrantRefused);
    }

    [Fact]
    public async Task Collector_refreshes_after_a_refused_token_and_needs_an_operator_when_the_grant_is_refused()
    {
        await using var endpoint = new LocalTokenEndpoint();
        endpoint.AnswerToken(Tok1);
        endpoint.AnswerToken(Tok2);
        endpoint.Answer(400, "{\"error\":\"invalid_grant\"}");
        await using var server = new WindowedPop3Server(count: 3, window: 10) { ExpectedBearer = Tok1 };
        var file = _scenario.WriteNodeFile(_scenario.Account("oauth", "127.0.0.1", server.Port, "fred", password: null, checkEvery: "1h", extra: $$"""
            auth = xoauth2
                oauth2 {
                  token-endpoint = "{{endpoint.Url}}"
                  client-id = client-1
                  client-secret = "{{ClientSecret}}"
                  refresh-token = "{{RefreshToken}}"
                  scope = "https://mail.google.com/"
                }
            """));
        var (node, options) = await NodeScenario.StartAsync(file, Ct);
        await using var running = node;
        var account = options.Accounts[0];
        Assert.Equal(AuthMethod.XOAuth2, account.Auth);
        Assert.DoesNotContain("SECRET", account.OAuth2!.ToString());
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);

        // First login: one refresh.
        var first = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.True(first.Succeeded, first.Detail);
        Assert.Equal(3, first.Collected);
        Assert.Single(endpoint.Requests);

        // The provider revoked tok-1: the login is refused once, the collector refreshes and logs in with tok-2.
        server.ExpectedBearer = Tok2;
        var second = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal(1, server.RefusedLogins);

        // tok-2 revoked too, and now the refresh token itself is refused: NeedsOperator, no retry.
        server.ExpectedBearer = Tok3;
        var third = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.False(third.Succeeded);
        Assert.Contains("invalid_grant", third.Detail);
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
        Assert.Equal(AccountHealth.NeedsOperator, status.Health);
        Assert.Contains("refresh token", status.HealthReason);
        Assert.Null(status.NextDue);
        Assert.Equal(3, endpoint.Requests.Count);
        Assert.Equal(2, server.RefusedLogins);
        Assert.DoesNotContain("SECRET", third.Detail + status);
        Assert.DoesNotContain("tok-", third.Detail + status);
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_journalled_sealed_and_used_by_the_next_process()
    {
        const string Rotated = "1//rotated-SECRET-77aa";
        await using var endpoint = new LocalTokenEndpoint();
        endpoint.AnswerToken("tok-1", refreshToken: Rotated);
        endpoint.AnswerToken("tok-2");
        await using var server = new WindowedPop3Server(count: 3, window: 10) { ExpectedBearer = "tok-1" };
        var file = _scenario.WriteNodeFile(_scenario.Account("rotate", "127.0.0.1", server.Port, "fred", password: null, checkEvery: "1h", extra: $$"""
            auth = xoauth2
                oauth2 {
                  token-endpoint = "{{endpoint.Url}}"
                  client-id = client-1
                  refresh-token = "{{RefreshToken}}"
                }
            """));

        var (first, options) = await NodeScenario.StartAsync(file, Ct);
        await using (first)
        {
            var collected = await NodeScenario.CollectAsync(first, options.Accounts[0], Ct);
            Assert.True(collected.Succeeded, collected.Detail);
        }

        // The provider rotated the refresh token: the configured one no longer works.
        endpoint.Revoke(RefreshToken);
        var rotations = await _scenario.JournalAsync("rotate", "RefreshTokenRotated.v1", Ct);
        Assert.DoesNotContain(Rotated, Assert.Single(rotations), StringComparison.Ordinal); // sealed, never in clear

        // A new process (no access token in memory) refreshes with the rotated token from the journal.
        server.ExpectedBearer = "tok-2";
        var (second, again) = await NodeScenario.StartAsync(file, Ct);
        await using (second)
        {
            var result = await NodeScenario.CollectAsync(second, again.Accounts[0], Ct);
            Assert.True(result.Succeeded, result.Detail);
            var status = await second.Accounts.Ask<AccountStatus>(new GetAccountStatus("rotate"), AskTimeout, Ct);
            Assert.Equal(AccountHealth.Healthy, status.Health);
        }

        Assert.Equal([RefreshToken, Rotated], endpoint.Requests.Select(r => r["refresh_token"]));
    }

    public void Dispose() => _scenario.Dispose();
}
