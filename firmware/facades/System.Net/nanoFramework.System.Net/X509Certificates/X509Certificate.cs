// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        public X509Certificate(byte[] certificate) => throw null;
    }
}
