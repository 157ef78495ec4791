using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RfcnPerf.Coco.Cli;

/// <summary>
/// Hands the command line to another executable. On Unix the process becomes it (execv: same pid, stdio, signals and
/// exit code), so the hand-over costs one exec and nothing waits; on Windows it runs as a child whose exit code is
/// returned.
/// </summary>
public static partial class ProcessHandover
{
    /// <summary>
    /// Runs <paramref name="executable"/> with <paramref name="args"/>. On Unix this returns only when the exec failed
    /// (null; the file is missing, not executable even after adding the execute bits, or not for this machine); on
    /// Windows it returns the child's exit code.
    /// </summary>
    /// <param name="executable">Full path of the file to run.</param>
    /// <param name="args">Its arguments (without the program name).</param>
    /// <param name="leadingArgs">Arguments placed before <paramref name="args"/> (e.g. the assembly for a dotnet host).</param>
    public static int? Run(string executable, IReadOnlyList<string> args, params string[] leadingArgs)
    {
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(args);
        if (!File.Exists(executable))
        {
            return null;
        }

        if (OperatingSystem.IsWindows())
        {
            var info = new ProcessStartInfo(executable) { UseShellExecute = false };
            foreach (string a in leadingArgs.Concat(args))
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }

        if (!EnsureExecutable(executable))
        {
            return null;
        }

        Exec(executable, [executable, .. leadingArgs, .. args]);
        return null;
    }

    /// <summary>NuGet does not keep file modes: a tool package's native file may arrive without its execute bits.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool EnsureExecutable(string path)
    {
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }

            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static unsafe void Exec(string path, string[] argv)
    {
        // argv as C strings, null-terminated; freed only if execv returns (on success the process image is gone).
        var pointers = new nint[argv.Length + 1];
        nint file = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            for (int i = 0; i < argv.Length; i++)
            {
                pointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]);
            }

            fixed (nint* p = pointers)
            {
                _ = Execv(file, p);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library the runtime cannot name "libc" (JIT builds only; the native build binds execv at link time):
            // the caller carries on as if the exec had failed.
        }
        finally
        {
            foreach (nint s in pointers)
            {
                Marshal.FreeCoTaskMem(s);
            }

            Marshal.FreeCoTaskMem(file);
        }
    }

    [LibraryImport("libc", EntryPoint = "execv")]
    private static unsafe partial int Execv(nint path, nint* argv);
}
