using System.Globalization;
using System.Text.RegularExpressions;

namespace Shoal.Tracker.Tests;

/// <summary>Reads figures out of a tracker's <c>/metrics</c> text (Prometheus exposition format).</summary>
internal static class PrometheusText
{
    /// <summary>The sum of every series of the metric <paramref name="name"/> (all its label sets); 0 when it has none.</summary>
    public static double Sum(string text, string name) =>
        Regex.Matches(text, $@"(?m)^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)$")
            .Sum(match => double.Parse(match.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture));
}
