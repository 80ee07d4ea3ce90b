using System.Globalization;

namespace Shoal.TrackerLoad;

/// <summary>CPU time (user + system) of a Linux process, from /proc/PID/stat.</summary>
internal static class ProcessCpu
{
    // The kernel reports these fields in USER_HZ, which is 100 in the ABI of every architecture
    // .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Seconds of CPU so far, or null when the process is gone.</summary>
    public static double? Seconds(string pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name may hold spaces; the fields after it start with the state (field 3),
        // so utime (14) and stime (15) are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture))
            / TicksPerSecond;
    }
}
