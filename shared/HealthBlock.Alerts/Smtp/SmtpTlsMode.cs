namespace HealthBlock.Alerts;

/// <summary>How the connection to the SMTP server is protected.</summary>
public enum SmtpTlsMode
{
    /// <summary>Plain text (a relay on the same machine or a closed network only).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS (usually port 587). The upgrade is required, never optional:
    /// a server (or a man in the middle) that does not offer STARTTLS gets no mail rather than a plaintext one.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    SslOnConnect,
}
