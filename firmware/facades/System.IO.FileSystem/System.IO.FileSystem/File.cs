// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.IO
{
    public static class File
    {
        public static bool Exists(string path) => throw null;

        public static byte[] ReadAllBytes(string path) => throw null;

        public static void WriteAllBytes(string path, byte[] bytes) => throw null;
    }
}
