namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// The nftables ruleset of a <see cref="Home"/>'s router, as a home router behaves: the LAN's packets leave
/// masqueraded as the WAN address; what comes back on a connection the LAN opened is let in; anything else arriving
/// on the WAN side, for the LAN or for the router itself, is dropped without an answer (no reset, no ICMP).
/// </summary>
/// <remarks>
/// The chains miniupnpd fills (<see cref="ForwardChain"/>, <see cref="PreroutingChain"/>, <see cref="PostroutingChain"/>)
/// are made here and jumped to, since miniupnpd 2.3 makes none: its accept rules for mapped ports go in the
/// forward chain's, its port redirections (DNAT) in prerouting's. A router without miniupnpd has the same chains,
/// empty. All in one inet table, as Debian's nft_init.sh lays it out.
/// </remarks>
public static class HomeRouterRules
{
    public const string Table = "filter";
    public const string ForwardChain = "miniupnpd";
    public const string PreroutingChain = "prerouting_miniupnpd";
    public const string PostroutingChain = "postrouting_miniupnpd";

    /// <summary>The ruleset for `nft -f`, for a router whose WAN interface is <paramref name="wan"/> and LAN interface <paramref name="lan"/>.</summary>
    public static string Ruleset(string wan, string lan) => $$"""
        table inet {{Table}} {
            chain input {
                type filter hook input priority 0; policy accept;
                iifname "{{wan}}" ct state established,related accept
                iifname "{{wan}}" drop
            }
            chain forward {
                type filter hook forward priority 0; policy drop;
                ct state established,related accept
                iifname "{{lan}}" oifname "{{wan}}" accept
                jump {{ForwardChain}}
            }
            chain {{ForwardChain}} {
            }
            chain prerouting {
                type nat hook prerouting priority -100; policy accept;
                jump {{PreroutingChain}}
            }
            chain postrouting {
                type nat hook postrouting priority 100; policy accept;
                jump {{PostroutingChain}}
                oifname "{{wan}}" masquerade
            }
            chain {{PreroutingChain}} {
            }
            chain {{PostroutingChain}} {
            }
        }
        """;
}
