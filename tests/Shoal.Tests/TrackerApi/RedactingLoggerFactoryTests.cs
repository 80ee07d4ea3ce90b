using Microsoft.Extensions.Logging;
using Shoal.Tests.Logging;
using Shoal.TrackerApi;

namespace Shoal.Tests.TrackerApi;

public sealed class RedactingLoggerFactoryTests
{
    private const string Passkey = "0123456789abcdef0123456789abcdef01234567";
    private const string Token = "tOkEn-_base64url0123456789";

    [Theory]
    [InlineData($"notes: announce (Started) to http://tracker.example:6969/announce/{Passkey}?info_hash=%01: 3 peer(s)", "/announce/[redacted]?info_hash")]
    [InlineData($"Request starting HTTP/1.1 GET http://127.0.0.1:6969/scrape/{Passkey}?info_hash=%01 - - -", "/scrape/[redacted]?info_hash")]
    [InlineData($"Authorization: Bearer {Token}", "Bearer [redacted]")]
    [InlineData($"GET /login?token={Token}&x=1", "?token=[redacted]&x=1")]
    [InlineData($$"""{"name":"alice","token":"{{Token}}","passkey":"{{Passkey}}","password":"hunter22"}""", "\"passkey\":\"[redacted]\"")]
    public void Every_logged_line_loses_its_passkeys_and_tokens(string line, string expected)
    {
        using var captured = new CapturingLoggers();
        using var loggers = new RedactingLoggerFactory(captured);
        ILogger logger = loggers.CreateLogger("Shoal.Session");
        using (logger.BeginScope(line))
        {
            logger.Log(LogLevel.Debug, default, line, null, static (message, _) => message);
        }

        string logged = Assert.Single(captured.Lines);
        Assert.Contains(expected, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(Passkey, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter22", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_announce_url_is_left_alone() =>
        Assert.Equal("announce to http://tracker.example:6969/announce?info_hash=%01", SecretRedaction.Redact("announce to http://tracker.example:6969/announce?info_hash=%01"));
}
