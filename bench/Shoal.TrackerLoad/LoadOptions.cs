using System.Net;

namespace Shoal.TrackerLoad;

internal enum Transport
{
    Http,
    Udp,
}

internal sealed record LoadOptions(
    Transport Transport,
    IPEndPoint Target,
    string Path,
    double WarmupSeconds,
    double DurationSeconds,
    long? TotalAnnounces,
    int Concurrency,
    int Hashes,
    long Peers,
    int NumWant,
    int Seed,
    bool Fill,
    double TimeoutSeconds,
    string? WatchPid)
{
    public const string Usage = """
        usage: Shoal.TrackerLoad http|udp --target HOST:PORT [options]
               Shoal.TrackerLoad hashes --out FILE [--hashes N] [--seed S]

          --target HOST:PORT   tracker address (loopback only)
          --path PATH          HTTP announce path (default /announce)
          --duration SECONDS   measured run length (default 10)
          --warmup SECONDS     run before measuring, not counted (default 2)
          --count N            stop after N measured announces instead of a duration
          --concurrency N      keep-alive connections (http) or requests in flight (udp) (default 32)
          --hashes N           distinct info-hashes (default 1000)
          --peers N            distinct peers; peer j is always in swarm j mod hashes (default 100000)
          --numwant N          peers asked for per announce (default 50)
          --seed S             seeds the info-hashes and the choice of peers (default 1)
          --timeout SECONDS    UDP response timeout before the request counts as timed out (default 2)
          --fill               announce every peer once (event=started), as fast as possible, then stop
          --watch-pid PID      also report that process's CPU over the measured window (the tracker)
          --out FILE           (hashes) write the info-hashes as hex lines, e.g. an opentracker whitelist
        """;

    public static LoadOptions Parse(Transport transport, IReadOnlyList<string> args)
    {
        var values = ReadValues(args, flags: ["--fill"]);
        var target = Take(values, "--target") ?? throw new UsageException("--target HOST:PORT is required");
        var options = new LoadOptions(
            transport,
            ParseTarget(target),
            Take(values, "--path") ?? "/announce",
            Number(values, "--warmup", 2.0),
            Number(values, "--duration", 10.0),
            Take(values, "--count") is { } count ? Positive(long.Parse(count), "--count") : null,
            (int)Positive(Number(values, "--concurrency", 32L), "--concurrency"),
            (int)Positive(Number(values, "--hashes", 1000L), "--hashes"),
            Positive(Number(values, "--peers", 100_000L), "--peers"),
            (int)Number(values, "--numwant", 50L),
            (int)Number(values, "--seed", 1L),
            values.Remove("--fill"),
            Number(values, "--timeout", 2.0),
            Take(values, "--watch-pid"));
        RejectLeftovers(values);
        return options;
    }

    public static (string Path, int Hashes, int Seed) ParseHashes(IReadOnlyList<string> args)
    {
        var values = ReadValues(args, flags: []);
        var result = (
            Take(values, "--out") ?? throw new UsageException("--out FILE is required"),
            (int)Positive(Number(values, "--hashes", 1000L), "--hashes"),
            (int)Number(values, "--seed", 1L));
        RejectLeftovers(values);
        return result;
    }

    private static Dictionary<string, string> ReadValues(IReadOnlyList<string> args, string[] flags)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (flags.Contains(args[i]))
            {
                values[args[i]] = "";
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                values[args[i]] = args[++i];
            }
            else
            {
                throw new UsageException($"unexpected argument '{args[i]}'");
            }
        }
        return values;
    }

    private static string? Take(Dictionary<string, string> values, string name) =>
        values.Remove(name, out var value) ? value : null;

    private static long Number(Dictionary<string, string> values, string name, long fallback) =>
        Take(values, name) is { } text ? long.Parse(text) : fallback;

    private static double Number(Dictionary<string, string> values, string name, double fallback) =>
        Take(values, name) is { } text ? double.Parse(text) : fallback;

    private static long Positive(long value, string name) =>
        value > 0 ? value : throw new UsageException($"{name} must be positive");

    private static void RejectLeftovers(Dictionary<string, string> values)
    {
        if (values.Count > 0)
        {
            throw new UsageException($"unknown option '{values.Keys.First()}'");
        }
    }

    private static IPEndPoint ParseTarget(string text)
    {
        var endPoint = IPEndPoint.TryParse(text, out var parsed) && parsed.Port != 0
            ? parsed
            : throw new UsageException($"--target '{text}' is not an IP address and port");
        return IPAddress.IsLoopback(endPoint.Address)
            ? endPoint
            : throw new UsageException("--target must be a loopback address");
    }
}
