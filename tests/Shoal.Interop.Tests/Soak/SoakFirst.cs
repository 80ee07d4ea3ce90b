using Xunit.Abstractions;
using Xunit.Sdk;

namespace Shoal.Interop.Tests.Soak;

/// <summary>
/// Starts the soak's test collection first, so the assembly's other tests run beside its minutes rather than
/// after them (xunit starts only as many collections as it has threads); the others keep xunit's order.
/// </summary>
public sealed class SoakFirst : ITestCollectionOrderer
{
    private readonly DefaultTestCollectionOrderer _default = new();

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        _default.OrderTestCollections(testCollections).OrderBy(collection => collection.DisplayName.EndsWith($".{nameof(TrackerSoakTests)}", StringComparison.Ordinal) ? 0 : 1);
}
