namespace HealthBlock.Web;

/// <summary>A read refused because the signed-in identity may not see it (a doctor asking for a patient who never granted it); answered 403.</summary>
public sealed class PageAccessException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public PageAccessException()
    {
    }

    /// <summary>Creates the refusal.</summary>
    public PageAccessException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the refusal.</summary>
    public PageAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
