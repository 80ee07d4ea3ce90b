using System.Text;
using Shoal.Discovery.Dht;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Discovery.Dht;

/// <summary>Random and mutated lines of the saved routing table: a node or nothing, never an exception.</summary>
[Trait("Category", "Fuzz")]
public class RoutingTableFileFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_lines_load_as_a_node_or_nothing()
    {
        string id = new('a', NodeId.Size * 2);
        string[] seeds = [$"{id} 127.0.0.1 6881", $"{id} ::ffff:10.0.0.1 1", $"{id} fe80::1%2 65535"];
        var mutator = new Mutator(2020);
        FuzzResult result = FuzzRun.Run(output, "dht nodes file line", 100_000, i => i % 10 == 0 ? mutator.RandomBytes(120) : mutator.Mutate(Encoding.UTF8.GetBytes(seeds[i % seeds.Length])), input =>
        {
            bool read = RoutingTableFile.TryParseLine(Encoding.UTF8.GetString(input), out NodeInfo? node);
            Assert.True(!read || node!.EndPoint.Port > 0);
            return read;
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }
}
