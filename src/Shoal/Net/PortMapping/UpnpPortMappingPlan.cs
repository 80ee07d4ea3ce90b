namespace Shoal.Net.PortMapping;

/// <summary>
/// What AddPortMapping asks next after a refusal (the WANIPConnection:1 and :2 service templates): the next
/// external port after a conflict (718, a few times), the internal port's number when the gateway maps only to the
/// same number (724), a lease of 0 (no time limit) when it grants only those (725). Each is tried once; anything
/// else is final.
/// </summary>
public sealed class UpnpPortMappingPlan(int externalPort, int internalPort, long leaseSeconds, int conflictAttempts)
{
    private int _conflicts;
    private bool _samePortTried;

    public int ExternalPort { get; private set; } = externalPort;

    public long LeaseSeconds { get; private set; } = leaseSeconds;

    /// <summary>Whether to ask again, with <see cref="ExternalPort"/> and <see cref="LeaseSeconds"/> changed as <paramref name="fault"/> calls for.</summary>
    public bool Retry(SoapFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        switch (fault.Code)
        {
            case SoapFault.ConflictInMappingEntry when ++_conflicts < conflictAttempts:
                // Ports below 1024 are often refused by gateways (miniupnpd's default rules) and need privileges here.
                ExternalPort = ExternalPort == ushort.MaxValue ? 1024 : ExternalPort + 1;
                return true;
            case SoapFault.SamePortValuesRequired when !_samePortTried && ExternalPort != internalPort:
                _samePortTried = true;
                ExternalPort = internalPort;
                return true;
            case SoapFault.OnlyPermanentLeasesSupported when LeaseSeconds != 0:
                LeaseSeconds = 0;
                return true;
            default:
                return false;
        }
    }
}
