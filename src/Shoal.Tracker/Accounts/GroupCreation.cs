namespace Shoal.Tracker.Accounts;

/// <summary>What became of a request to create a group.</summary>
public enum GroupCreation
{
    Created,
    NameTaken,
    OwnerAtLimit,
}
