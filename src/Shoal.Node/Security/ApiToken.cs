using System.Security.Cryptography;
using System.Text;

namespace Shoal.Node.Security;

/// <summary>The API's bearer token, made on the node's first start and kept in <c>DATA/api-token</c>, readable by its owner only.</summary>
public sealed class ApiToken
{
    public const string FileName = "api-token";

    private readonly byte[] _bytes;

    private ApiToken(string value)
    {
        Value = value;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    public static ApiToken LoadOrCreate(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            string stored = File.ReadAllText(path).Trim();
            return stored.Length > 0 ? new ApiToken(stored) : throw new NodeException($"{path} is empty: delete it to make a new token");
        }

        var token = new ApiToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with these bits, so the token is never world-readable, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, options))
        {
            file.Write(Encoding.UTF8.GetBytes(token.Value + "\n"));
            file.Flush(flushToDisk: true);
        }

        return token;
    }

    /// <summary>Compares in constant time, so the answer's timing says nothing about how much of a guess was right.</summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        Span<byte> bytes = candidate.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(candidate.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(candidate.Length)];
        int length = Encoding.UTF8.GetBytes(candidate, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..length], _bytes);
    }
}
