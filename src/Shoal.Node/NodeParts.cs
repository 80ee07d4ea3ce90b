using Shoal.Node.Events;
using Shoal.Node.Groups;
using Shoal.Node.Security;
using Shoal.Node.Settings;
using Shoal.Node.Torrents;
using Shoal.Session;

namespace Shoal.Node;

/// <summary>The parts of a running node that its API serves.</summary>
internal sealed record NodeParts(ApiToken Token, ShoalSession Session, NodeTorrents Torrents, LiveSettings Settings, NodeEvents Events, NodeLogin Login);
