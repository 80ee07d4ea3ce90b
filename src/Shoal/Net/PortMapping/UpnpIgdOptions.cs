using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>Where and how long <see cref="UpnpIgdClient"/> searches, and what it asks of the gateway.</summary>
public sealed record UpnpIgdOptions
{
    public static readonly UpnpIgdOptions Default = new();

    /// <summary>
    /// Where M-SEARCH goes: null for the SSDP multicast group, on the interface of our address towards the gateway.
    /// Tests name a fake gateway on loopback here.
    /// </summary>
    public IPEndPoint? SearchEndPoint { get; init; }

    /// <summary>MX: devices spread their answers over this many seconds (UDA 1.1 allows 1 to 5).</summary>
    public int SearchMaxWaitSeconds { get; init; } = 1;

    /// <summary>How many times the searches are sent (UDP may lose them), <see cref="SearchRoundTime"/> apart.</summary>
    public int SearchRounds { get; init; } = 3;

    /// <summary>How long each round waits for answers; the search gives up after <see cref="SearchRounds"/> of them.</summary>
    public TimeSpan SearchRoundTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The time limit of one HTTP exchange with the gateway (its description, one SOAP action).</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest description or SOAP answer read: a real IGD description is 3 to 10 KB.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024;

    /// <summary>How many external ports are tried in a row when the one asked for is taken (error 718).</summary>
    public int ConflictAttempts { get; init; } = 4;

    /// <summary>NewPortMappingDescription: what the router's page shows beside our mappings.</summary>
    public string Description { get; init; } = "Shoal";
}
