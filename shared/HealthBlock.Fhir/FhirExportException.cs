namespace HealthBlock.Fhir;

/// <summary>The export input cannot be mapped to FHIR; the message says which record and why.</summary>
public sealed class FhirExportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FhirExportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the input.</param>
    public FhirExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="innerException">The cause.</param>
    public FhirExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
