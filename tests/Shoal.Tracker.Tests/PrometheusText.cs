using System.Globalization;
using System.Text.RegularExpressions;

namespace Shoal.Tracker.Tests;

/// <summary>Reads figures out of a tracker's <c>/metrics</c> text (Prometheus exposition format).</summary>
internal static class PrometheusText
{
    /// <summary>
    /// The sum of every series of the metric <paramref name="name"/> (all its label sets, or those with the label
    /// <paramref name="label"/>, such as <c>gc_heap_generation="gen2"</c>); 0 when it has none.
    /// </summary>
    public static double Sum(string text, string name, string label = "") =>
        Regex.Matches(text, $@"(?m)^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)$")
            .Where(match => match.Groups[1].Value.Contains(label, StringComparison.Ordinal))
            .Sum(match => double.Parse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture));
}
