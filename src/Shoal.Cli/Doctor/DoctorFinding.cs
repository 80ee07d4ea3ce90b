namespace Shoal.Cli.Doctor;

public enum DoctorLevel
{
    Ok,
    Warning,
    Problem,
}

/// <summary>One line of the doctor's report: its topic, how it stands, what it found and, when something is wrong, what to do.</summary>
public sealed record DoctorFinding(string Topic, DoctorLevel Level, string Text, string? Advice = null);
