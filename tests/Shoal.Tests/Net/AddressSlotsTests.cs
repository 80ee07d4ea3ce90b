using System.Net;
using Shoal.Net;

namespace Shoal.Tests.Net;

public class AddressSlotsTests
{
    [Fact]
    public void Each_address_gets_its_own_limit_and_an_IPv4_mapped_address_is_the_same_address()
    {
        var slots = new AddressSlots(2);
        IPAddress one = IPAddress.Parse("10.0.0.1");
        Assert.True(slots.TryTake(one));
        Assert.True(slots.TryTake(one.MapToIPv6()));
        Assert.False(slots.TryTake(one));
        Assert.True(slots.TryTake(IPAddress.Parse("10.0.0.2")));

        slots.Release(one);
        Assert.True(slots.TryTake(one));
    }
}
