using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Shoal.Node.Security;

/// <summary>
/// The cookies a browser gets from <c>/login?token=…</c>: an HttpOnly session derived from the token (so it
/// survives a node restart and dies with the token), and a random CSRF value that scripts send back as a header.
/// </summary>
internal sealed class BrowserSession(ApiToken token, bool secure)
{
    public const string SessionCookie = "shoal_session";
    public const string CsrfCookie = "shoal_csrf";
    public const string CsrfHeader = "X-Shoal-Csrf";

    private readonly byte[] _session = HMACSHA256.HashData(Encoding.UTF8.GetBytes(token.Value), "shoal browser session"u8);

    /// <summary><c>GET /login?token=TOKEN</c>: sets the cookies and sends the browser to the UI; a wrong token gets 401.</summary>
    public IResult Login(HttpContext context)
    {
        string? given = context.Request.Query["token"];
        if (given is null || !token.Matches(given))
        {
            return Results.Text("this login link's token is not the node's: open the web: link that shoal node printed\n", "text/plain", statusCode: StatusCodes.Status401Unauthorized);
        }

        var cookie = new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = secure, IsEssential = true };
        context.Response.Cookies.Append(SessionCookie, Convert.ToHexStringLower(_session), new CookieOptions(cookie) { HttpOnly = true });
        context.Response.Cookies.Append(CsrfCookie, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cookie);
        // The token must not stay in the address bar or the history.
        return Results.Redirect("/");
    }

    /// <summary>Whether the request carries this node's session cookie (compared in constant time).</summary>
    public bool HasSession(HttpRequest request)
    {
        string? cookie = request.Cookies[SessionCookie];
        Span<byte> given = stackalloc byte[_session.Length];
        return cookie is not null
            && Convert.FromHexString(cookie, given, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == _session.Length
            && CryptographicOperations.FixedTimeEquals(given, _session);
    }

    /// <summary>Double-submit check: a cross-site page can make the browser send the cookie, but cannot read it to set the header.</summary>
    public static bool HasCsrfHeader(HttpRequest request)
    {
        string? cookie = request.Cookies[CsrfCookie];
        string? header = request.Headers[CsrfHeader];
        return !string.IsNullOrEmpty(cookie) && header is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(header));
    }
}
