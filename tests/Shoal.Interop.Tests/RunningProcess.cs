using System.Diagnostics;
using System.Globalization;

namespace Shoal.Interop.Tests;

/// <summary>
/// A long-running program a test starts and ends itself (a seeder, `shoal share`): its output lines as
/// they arrive, waits with time limits, SIGTERM or SIGKILL on request, and killed on dispose whatever happens.
/// </summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<string> _error = [];
    private readonly Lock _gate = new();

    private RunningProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _output];
            }
        }
    }

    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _error];
            }
        }
    }

    public static RunningProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var running = new RunningProcess(process, $"{fileName} {string.Join(' ', start.ArgumentList)}");
        process.OutputDataReceived += (_, line) => running.Add(running._output, line.Data);
        process.ErrorDataReceived += (_, line) => running.Add(running._error, line.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start {fileName}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>The first stdout line that matches, waiting for it up to <paramref name="timeout"/>.</summary>
    public Task<string> WaitForOutputLineAsync(Func<string, bool> match, TimeSpan timeout) => WaitForLineAsync(_output, "stdout", match, timeout);

    /// <summary>The first stderr line that matches, waiting for it up to <paramref name="timeout"/>.</summary>
    public Task<string> WaitForErrorLineAsync(Func<string, bool> match, TimeSpan timeout) => WaitForLineAsync(_error, "stderr", match, timeout);

    /// <summary>Waits for the program to end by itself; kills it and throws if it overruns.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"{Description} did not finish within {timeout}: {Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then up to <paramref name="grace"/> to exit before SIGKILL. Returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10));
            using var limit = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
                throw new TimeoutException($"{Description} ignored SIGTERM for {grace}");
            }
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL to the program alone, at once, without looking for children first: a crash at this very moment.</summary>
    public void KillNow()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
    }

    /// <summary>SIGKILL, the program and its children, as a crash or a power cut would end it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(limit.Token);
    }

    /// <summary>The last lines of stderr and stdout, for assertion messages.</summary>
    public string Tail(int lines = 5) =>
        $"stderr: {string.Join(" | ", ErrorLines.TakeLast(lines))}; stdout: {string.Join(" | ", OutputLines.TakeLast(lines))}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            lines.Add(line);
        }
    }

    private async Task<string> WaitForLineAsync(List<string> lines, string stream, Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string? found;
            lock (_gate)
            {
                found = lines.FirstOrDefault(match);
            }

            if (found is not null)
            {
                return found;
            }

            if (_process.HasExited)
            {
                // Let the last lines drain before deciding the line never came.
                using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(drain.Token);
                lock (_gate)
                {
                    found = lines.FirstOrDefault(match);
                }

                return found ?? throw new InvalidOperationException(
                    $"{Description} exited with {_process.ExitCode} before the awaited {stream} line: {Tail()}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{Description}: no awaited {stream} line within {timeout}: {Tail()}");
            }

            await Task.Delay(50);
        }
    }
}
