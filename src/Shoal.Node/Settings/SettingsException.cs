namespace Shoal.Node.Settings;

/// <summary>A settings change the node refuses, with the reason; nothing of the change is applied.</summary>
public sealed class SettingsException(string message) : Exception(message);
