using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace RfcnPerf.Cli.Tests.Docs;

/// <summary>
/// Finds references that do not resolve inside the repository: a mention of <c>docs/*.md</c> in any text file
/// (code comments, messages, scripts, documents; resolved from the repository root, and a "§N" or "section N"
/// after it must name a numbered heading of that document), and a relative link or image in a Markdown file
/// (resolved from the file's folder; a <c>#anchor</c> must be a heading of the target as GitHub renders it, and
/// the target must stay inside the repository). Web addresses are not checked.
/// </summary>
internal static partial class DocReferenceScanner
{
    /// <summary>Files larger than this are data (BenchmarkDotNet's per-sample JSON), not prose to check.</summary>
    private const long MaxTextFileBytes = 4 << 20;

    /// <summary>Every dangling reference in the repository's tracked text files, as <c>path:line: reference (why)</c>.</summary>
    public static IReadOnlyList<string> Scan(string root)
    {
        var dangling = new List<string>();
        foreach (var relative in TextFiles(root))
        {
            dangling.AddRange(Dangling(root, relative, File.ReadAllText(Path.Combine(root, relative))));
        }

        return dangling;
    }

    /// <summary>
    /// The dangling references in <paramref name="text"/>, read as the content of <paramref name="relativePath"/>
    /// (forward slashes, from <paramref name="root"/>; the file itself need not exist).
    /// </summary>
    public static IReadOnlyList<string> Dangling(string root, string relativePath, string text)
    {
        var found = new List<string>();
        var lines = text.Split('\n');
        var markdown = relativePath.EndsWith(".md", StringComparison.OrdinalIgnoreCase);
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"{relativePath}:{i + 1}";
            foreach (Match m in DocMention().Matches(line))
            {
                if (TokenAround(line, m.Index).Contains("://", StringComparison.Ordinal))
                {
                    continue; // a web address that happens to contain docs/ and .md
                }

                var doc = "docs/" + m.Groups["name"].Value;
                if (!File.Exists(Path.Combine(root, doc)))
                {
                    found.Add($"{where}: {doc} (no such file in the repository)");
                }
                else if (m.Groups["section"].Success && !HasNumberedHeading(Path.Combine(root, doc), m.Groups["section"].Value))
                {
                    found.Add($"{where}: {m.Value.Trim()} ({doc} has no heading numbered {m.Groups["section"].Value})");
                }
            }

            if (!markdown)
            {
                continue;
            }

            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            foreach (var target in LinkTargets(line))
            {
                if (CheckLink(root, relativePath, text, target) is { } why)
                {
                    found.Add($"{where}: {target} ({why})");
                }
            }
        }

        return found;
    }

    /// <summary>The headings of a Markdown text as GitHub's anchors (lower case, punctuation dropped, spaces to hyphens, repeats numbered).</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence || Heading().Match(line) is not { Success: true } h)
            {
                continue;
            }

            var title = InlineLink().Replace(h.Groups["title"].Value.Trim().TrimEnd('#').Trim(), "${text}");
            var slug = new StringBuilder();
            foreach (var c in title.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            var anchor = slug.ToString();
            for (var n = 1; !anchors.Add(anchor); n++)
            {
                anchor = $"{slug}-{n}";
            }
        }

        return anchors;
    }

    // Why a link target does not resolve, or null when it does.
    private static string? CheckLink(string root, string relativePath, string text, string target)
    {
        if (Scheme().IsMatch(target))
        {
            return null; // https:, mailto:, ...: not a file of the repository
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var pathPart = Uri.UnescapeDataString(hash >= 0 ? target[..hash] : target);
        var anchor = hash >= 0 ? target[(hash + 1)..] : null;
        string full;
        if (pathPart.Length == 0)
        {
            full = Path.GetFullPath(Path.Combine(root, relativePath));
        }
        else
        {
            var baseDir = pathPart.StartsWith('/') ? root : Path.GetDirectoryName(Path.Combine(root, relativePath))!;
            full = Path.GetFullPath(Path.Combine(baseDir, pathPart.TrimStart('/')));
            var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (!full.StartsWith(rootFull, StringComparison.Ordinal) && full != rootFull.TrimEnd(Path.DirectorySeparatorChar))
            {
                return "outside the repository";
            }

            if (!File.Exists(full) && !Directory.Exists(full))
            {
                return "no such file or folder";
            }
        }

        if (string.IsNullOrEmpty(anchor) || !full.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var targetText = pathPart.Length == 0 ? text : File.ReadAllText(full);
        return Anchors(targetText).Contains(anchor) ? null : $"no heading with the anchor #{anchor}";
    }

    // Inline links and images [text](target "title") outside code spans, and reference definitions [id]: target.
    private static IEnumerable<string> LinkTargets(string line)
    {
        if (ReferenceDefinition().Match(line) is { Success: true } def)
        {
            yield return def.Groups["target"].Value.Trim('<', '>');
            yield break;
        }

        var withoutCode = CodeSpan().Replace(line, string.Empty);
        foreach (Match m in InlineLink().Matches(withoutCode))
        {
            yield return m.Groups["target"].Value.Trim('<', '>');
        }
    }

    private static bool HasNumberedHeading(string docPath, string number) =>
        File.ReadLines(docPath).Any(l => Heading().Match(l) is { Success: true } h
            && h.Groups["title"].Value.TrimStart().StartsWith(number + ".", StringComparison.Ordinal));

    private static string TokenAround(string line, int index)
    {
        var start = line.LastIndexOfAny([' ', '\t', '(', '<', '"', '\''], index) + 1;
        var end = line.IndexOfAny([' ', '\t', ')', '>', '"', '\''], index);
        return line[start..(end < 0 ? line.Length : end)];
    }

    // The repository's text files: git's list of tracked files when this is a git checkout, else a walk that
    // leaves out build output and tool folders.
    private static IEnumerable<string> TextFiles(string root)
    {
        var files = TrackedFiles(root) ?? Walk(root);
        foreach (var relative in files.Order(StringComparer.Ordinal))
        {
            var full = Path.Combine(root, relative);
            if (File.Exists(full) && new FileInfo(full).Length <= MaxTextFileBytes && IsText(full))
            {
                yield return relative;
            }
        }
    }

    private static List<string>? TrackedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            return git.ExitCode == 0 ? [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries)] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    private static IEnumerable<string> Walk(string root)
    {
        string[] skipped = ["bin", "obj", ".git", "node_modules", "TestResults", "BenchmarkDotNet.Artifacts", "artifacts"];
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir).Where(d => !skipped.Contains(Path.GetFileName(d))))
            {
                pending.Push(sub);
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                yield return Path.GetRelativePath(root, file).Replace('\\', '/');
            }
        }
    }

    // A file with a NUL byte in its first 8 KB is binary (images, archives, ONNX models).
    private static bool IsText(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[8192];
        var read = stream.Read(head);
        return !head[..read].Contains((byte)0);
    }

    [GeneratedRegex(@"(?<![\w-])docs/(?<name>[\w.-]+\.md)(?:\s*(?:§|section\s+)(?<section>\d+))?")]
    private static partial Regex DocMention();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<title>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();
}
