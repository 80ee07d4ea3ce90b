namespace Shoal.Tracker.Tests;

/// <summary>Tests that measure the process's allocations run alone, so no other test's allocations count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurements
{
    public const string Name = "allocation measurements";
}
