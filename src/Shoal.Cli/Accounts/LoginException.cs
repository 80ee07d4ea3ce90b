namespace Shoal.Cli.Accounts;

/// <summary>A command needs a login that is missing, expired, or on another tracker; the message says what to run.</summary>
public sealed class LoginException(string message) : Exception(message);
