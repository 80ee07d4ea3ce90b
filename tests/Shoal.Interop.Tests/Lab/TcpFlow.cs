using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Shoal.Interop.Tests.Lab;

/// <summary>One second of a <see cref="TcpFlowReceiver"/>: <see cref="Bytes"/> arrived in second <see cref="T"/> (1, 2, ... from the accept).</summary>
public sealed record FlowSecond(int T, long Bytes, bool Partial)
{
    public double Mbps => Bytes * 8 / 1e6;
}

/// <summary>
/// The receiving end of one bulk TCP flow (scripts/tcp_flow.py --listen) in a namespace: it accepts one
/// connection and reports the bytes of each second as it ends, so a test can wait for second N and read a
/// window of seconds afterwards.
/// </summary>
public sealed class TcpFlowReceiver : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private TcpFlowReceiver(RunningProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The seconds reported so far, in order.</summary>
    public IReadOnlyList<FlowSecond> Seconds => [.. _process.OutputLines.Select(Second).OfType<FlowSecond>()];

    public string Tail() => _process.Tail();

    /// <summary>Starts the receiver on <paramref name="port"/> in <paramref name="inside"/>, returning once it listens; it reports for at most <paramref name="seconds"/>.</summary>
    public static async Task<TcpFlowReceiver> StartAsync(NetworkNamespace inside, int port, int seconds)
    {
        RunningProcess process = inside.Start(
            Tools.Python,
            [Tools.Script("tcp_flow.py"), "--listen", port.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture)]);
        try
        {
            await process.WaitForOutputLineAsync(line => line.StartsWith("{\"listening\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            return new TcpFlowReceiver(process, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Second <paramref name="t"/> once it has ended, or null if the flow ended before it (the sender closed).</summary>
    public async Task<FlowSecond?> WaitForSecondAsync(int t, TimeSpan timeout)
    {
        string line = await _process.WaitForOutputLineAsync(l => Second(l)?.T == t || IsSummary(l), timeout);
        return Second(line) is { Partial: false } second ? second : null;
    }

    /// <summary>The closing summary line (bytes, seconds, mbps), once the flow has ended.</summary>
    public async Task<JsonElement> WaitForSummaryAsync(TimeSpan timeout)
    {
        string line = await _process.WaitForOutputLineAsync(IsSummary, timeout);
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static bool IsSummary(string line) => line.StartsWith("{\"summary\"", StringComparison.Ordinal);

    private static FlowSecond? Second(string line)
    {
        if (!line.StartsWith("{\"t\"", StringComparison.Ordinal))
        {
            return null;
        }

        using var json = JsonDocument.Parse(line);
        JsonElement root = json.RootElement;
        return new FlowSecond(
            root.GetProperty("t").GetInt32(),
            root.GetProperty("bytes").GetInt64(),
            root.TryGetProperty("partial", out JsonElement partial) && partial.GetBoolean());
    }
}

/// <summary>The sending end of one bulk TCP flow (scripts/tcp_flow.py --connect): as fast as TCP allows, for a number of seconds.</summary>
public static class TcpFlowSender
{
    /// <summary>Starts sending from <paramref name="inside"/> to <paramref name="to"/>:<paramref name="port"/> with the congestion control <paramref name="congestion"/>.</summary>
    public static RunningProcess Start(NetworkNamespace inside, IPAddress to, int port, int seconds, string congestion = "cubic") =>
        inside.Start(
            Tools.Python,
            [
                Tools.Script("tcp_flow.py"), "--connect", $"{to}:{port.ToString(CultureInfo.InvariantCulture)}",
                "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--congestion", congestion,
            ]);

    /// <summary>The sender's summary (bytes, seconds, mbps, and the congestion control it really used) once it has finished.</summary>
    public static async Task<JsonElement> WaitForSummaryAsync(RunningProcess sender, TimeSpan timeout)
    {
        int code = await sender.WaitForExitAsync(timeout);
        Assert.True(code == 0, $"tcp_flow.py --connect exited with {code}: {sender.Tail()}");
        string line = await sender.WaitForOutputLineAsync(l => l.StartsWith("{\"summary\"", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
