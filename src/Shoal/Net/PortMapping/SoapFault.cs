namespace Shoal.Net.PortMapping;

/// <summary>
/// A UPnP error a gateway answered an action with (UDA 1.1, 3.2.2: a SOAP fault carrying UPnPError), with what it
/// means in words: the common codes of UDA 1.1 and those of the WANIPConnection:1 and :2 service templates.
/// </summary>
public sealed record SoapFault(int Code, string Description)
{
    public const int InvalidArgs = 402;
    public const int ActionFailed = 501;
    public const int NoSuchEntryInArray = 714;
    public const int ConflictInMappingEntry = 718;
    public const int SamePortValuesRequired = 724;
    public const int OnlyPermanentLeasesSupported = 725;

    /// <summary>The code, the gateway's own words and, for a known code, what it means.</summary>
    public string Explain()
    {
        string meaning = Code switch
        {
            401 => "the gateway does not know this action",
            InvalidArgs => "the gateway refused the arguments",
            ActionFailed => "the gateway failed to carry out the action",
            606 => "the gateway does not allow this action (its UPnP may be read-only or port mapping switched off)",
            NoSuchEntryInArray => "there is no such mapping",
            715 => "the gateway does not accept a wildcard source address",
            716 => "the gateway does not accept a wildcard external port",
            ConflictInMappingEntry => "the external port is already mapped to another host",
            SamePortValuesRequired => "the gateway maps a port only to the same port number inside",
            OnlyPermanentLeasesSupported => "the gateway only grants mappings without a time limit",
            726 => "the gateway requires a wildcard remote host",
            727 => "the gateway requires a wildcard external port",
            728 => "the gateway has no free port mapping left",
            729 => "the mapping conflicts with another mechanism (such as a firewall rule)",
            732 => "the gateway does not accept a wildcard internal port",
            _ => "",
        };
        string said = Description.Length > 0 ? $" '{Description}'" : "";
        return meaning.Length > 0 ? $"UPnP error {Code}{said}: {meaning}" : $"UPnP error {Code}{said}";
    }
}
