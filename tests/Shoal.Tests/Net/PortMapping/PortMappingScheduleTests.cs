using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>When ports are asked for and renewed, on given times.</summary>
public sealed class PortMappingScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_port_is_due_at_once_tcp_first_and_asks_for_its_own_number()
    {
        var schedule = new PortMappingSchedule([(MappingProtocol.Udp, 6881), (MappingProtocol.Tcp, 6881)], Start);

        Assert.Equal([MappingProtocol.Tcp, MappingProtocol.Udp], schedule.Due(Start));
        Assert.Equal(6881, schedule.WantedExternalPort(MappingProtocol.Tcp));
        Assert.All(schedule.Statuses(Start), s => Assert.Equal(PortMappingState.Mapping, s.State));
    }

    [Fact]
    public void A_mapping_is_renewed_at_half_its_lifetime_asking_for_the_port_granted()
    {
        var schedule = new PortMappingSchedule([(MappingProtocol.Tcp, 6881)], Start);

        schedule.Mapped(Lease(MappingProtocol.Tcp, 7000, Start.AddHours(2)), Start);

        Assert.Equal(Start.AddHours(1), schedule.NextDue);
        Assert.Empty(schedule.Due(Start.AddMinutes(59)));
        Assert.Equal(7000, schedule.WantedExternalPort(MappingProtocol.Tcp));
        PortMappingStatus status = Assert.Single(schedule.Statuses(Start));
        Assert.Equal(new PortMappingStatus(MappingProtocol.Tcp, 6881, PortMappingState.Mapped, "NAT-PMP", 7000, Start.AddHours(2), null), status);
    }

    [Fact]
    public void A_lease_for_ever_is_renewed_hourly_and_a_lease_of_seconds_no_faster_than_every_five()
    {
        var schedule = new PortMappingSchedule([(MappingProtocol.Tcp, 6881), (MappingProtocol.Udp, 6881)], Start);

        schedule.Mapped(Lease(MappingProtocol.Tcp, 6881, DateTimeOffset.MaxValue), Start);
        schedule.Mapped(Lease(MappingProtocol.Udp, 6881, Start.AddSeconds(2)), Start);

        Assert.Equal([MappingProtocol.Udp], schedule.Due(Start.AddSeconds(5)));
        Assert.Equal([MappingProtocol.Tcp, MappingProtocol.Udp], schedule.Due(Start.AddHours(1)));
    }

    [Fact]
    public void Failures_are_retried_from_15_s_doubling_to_30_min()
    {
        var schedule = new PortMappingSchedule([(MappingProtocol.Tcp, 6881)], Start);
        DateTimeOffset now = Start;
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 10; i++)
        {
            schedule.Failed(MappingProtocol.Tcp, "no answer", PortMappingState.Failed, now);
            waits.Add(schedule.NextDue!.Value - now);
            now = schedule.NextDue!.Value;
        }

        Assert.Equal([15, 30, 60, 120, 240, 480, 960, 1800, 1800, 1800], waits.Select(w => (int)w.TotalSeconds));
        Assert.Equal(new PortMappingStatus(MappingProtocol.Tcp, 6881, PortMappingState.Failed, null, null, null, "no answer"), Assert.Single(schedule.Statuses(now)));
    }

    [Fact]
    public void A_renewal_that_fails_keeps_the_mapping_until_it_runs_out_then_a_success_clears_the_error()
    {
        var schedule = new PortMappingSchedule([(MappingProtocol.Tcp, 6881)], Start);
        schedule.Mapped(Lease(MappingProtocol.Tcp, 6881, Start.AddMinutes(2)), Start);
        DateTimeOffset renewal = Start.AddMinutes(1);

        schedule.Failed(MappingProtocol.Tcp, "no answer", PortMappingState.Failed, renewal);

        PortMappingStatus held = Assert.Single(schedule.Statuses(renewal));
        Assert.Equal((PortMappingState.Mapped, 6881, "no answer"), (held.State, held.ExternalPort, held.Error));
        Assert.Equal([MappingProtocol.Tcp], schedule.Due(renewal.AddSeconds(15)));
        PortMappingStatus expired = Assert.Single(schedule.Statuses(Start.AddMinutes(2)));
        Assert.Equal((PortMappingState.Failed, (int?)null), (expired.State, expired.ExternalPort));
        Assert.Single(schedule.Leases);

        schedule.Mapped(Lease(MappingProtocol.Tcp, 6881, Start.AddHours(3)), Start.AddMinutes(3));

        Assert.Equal((PortMappingState.Mapped, (string?)null), (schedule.Statuses(Start.AddMinutes(3))[0].State, schedule.Statuses(Start.AddMinutes(3))[0].Error));
    }

    [Fact]
    public void No_gateway_is_its_own_state()
    {
        var schedule = new PortMappingSchedule([(MappingProtocol.Udp, 6881)], Start);

        schedule.Failed(MappingProtocol.Udp, "no default IPv4 gateway (router) to ask", PortMappingState.NoGateway, Start);

        Assert.Equal(PortMappingState.NoGateway, Assert.Single(schedule.Statuses(Start)).State);
    }

    private static PortMappingLease Lease(MappingProtocol protocol, int external, DateTimeOffset expires) =>
        new("NAT-PMP", protocol, IPAddress.Loopback, 6881, external, expires);
}
