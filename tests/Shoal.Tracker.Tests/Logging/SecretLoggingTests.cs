using System.Net;
using Shoal.Tests;
using Shoal.Tests.Logging;
using Shoal.Tracker.Tests.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Logging;

public sealed class SecretLoggingTests
{
    [Fact]
    public async Task Verbose_request_logs_name_no_passkey_or_token()
    {
        using var data = new TempFolder();
        using var loggers = new CapturingLoggers();
        await using RunningTracker tracker = await RunningTracker.StartAsync(data, loggers: loggers);
        var api = AccountApi.Of(tracker);
        LoginResult alice = await api.SignUpAsync("alice");
        Assert.Null((await AccountApi.AnnounceAsync(tracker, alice.Passkey, RunningTracker.RandomHash(), 7001)).FailureReason);
        await AccountApi.ScrapeAsync(tracker, alice.Passkey, RunningTracker.RandomHash());
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync(HttpMethod.Get, "api/me", alice));

        string[] lines = [.. loggers.Lines];
        Assert.Contains(lines, line => line.Contains("/announce/", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(alice.Passkey, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, line => line.Contains(alice.Token, StringComparison.Ordinal));
    }
}
