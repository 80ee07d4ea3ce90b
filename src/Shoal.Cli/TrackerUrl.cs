namespace Shoal.Cli;

/// <summary>Checks a --tracker value before anything announces to it.</summary>
public static class TrackerUrl
{
    public static string Check(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https" or "udp" && url.Host.Length > 0
            ? url.ToString()
            : throw new UsageException($"--tracker '{text}' is not an http://, https:// or udp:// tracker URL");
}
