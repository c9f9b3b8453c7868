namespace HealthBlock.Gateway.Admin;

/// <summary>
/// An admin operation was refused: bad input, a state that does not allow it, or the ledger's refusal. The message is
/// for people; <see cref="Status"/> is the HTTP status the admin endpoint answers with.
/// </summary>
public sealed class GatewayAdminException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayAdminException(int status, string message, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
    }

    /// <summary>Creates the exception (status 400).</summary>
    public GatewayAdminException()
        : this(400, "The admin operation was refused.")
    {
    }

    /// <summary>Creates the exception (status 400).</summary>
    public GatewayAdminException(string message)
        : this(400, message)
    {
    }

    /// <summary>Creates the exception (status 400).</summary>
    public GatewayAdminException(string message, Exception innerException)
        : this(400, message, innerException)
    {
    }

    /// <summary>The HTTP status: 400 bad input, 401 not authenticated, 404 unknown, 409 conflicting state, 422 refused by the ledger, 502/503 ledger or gateway unavailable.</summary>
    public int Status { get; }
}
