using System.Diagnostics;
using System.Globalization;

namespace Shoal.Interop.Tests;

/// <summary>A process's resident memory (VmRSS from /proc), sampled every <c>every</c> until disposed.</summary>
public sealed class ProcessMemory : IAsyncDisposable
{
    private readonly List<(TimeSpan At, long Bytes)> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _sampling;

    private ProcessMemory(int processId, TimeSpan every) => _sampling = SampleAsync(processId, every, _stop.Token);

    /// <summary>Every sample so far: time since sampling began, bytes resident.</summary>
    public IReadOnlyList<(TimeSpan At, long Bytes)> Samples
    {
        get
        {
            lock (_gate)
            {
                return [.. _samples];
            }
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public static ProcessMemory Sample(int processId, TimeSpan every) => new(processId, every);

    /// <summary>VmRSS of the process now, in bytes; 0 once it has gone.</summary>
    public static long Resident(int processId)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync(int processId, TimeSpan every, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                long bytes = Resident(processId);
                lock (_gate)
                {
                    _samples.Add((_clock.Elapsed, bytes));
                }

                await Task.Delay(every, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
