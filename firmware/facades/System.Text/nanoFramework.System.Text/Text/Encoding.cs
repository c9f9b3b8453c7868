// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Text
{
    public abstract class Encoding
    {
        public virtual string GetString(byte[] bytes, int index, int count) => throw null;

        public static Encoding UTF8 => throw null;
    }
}
