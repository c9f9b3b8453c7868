namespace HealthBlock.Gateway.Journal;

/// <summary>The journal could not make a frame durable; the frame must not be acknowledged.</summary>
public sealed class JournalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JournalException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JournalException(string message)
        : base(message)
    {
    }
}
