namespace HealthBlock.Web;

/// <summary>A page action (grant, pay, revoke, note) refused, with a message to show the user.</summary>
public sealed class PageActionException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public PageActionException()
    {
    }

    /// <summary>Creates the refusal.</summary>
    public PageActionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the refusal.</summary>
    public PageActionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
