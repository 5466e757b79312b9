namespace ArxivRank.Rendering;

/// <summary>Checks a digest before rendering so a malformed one fails with a clear message instead of half a file.</summary>
internal static class DigestGuard
{
    public static void Check(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (digest.Papers is null)
        {
            throw new ArgumentException("The digest's Papers list is null.", nameof(digest));
        }

        for (int i = 0; i < digest.Papers.Count; i++)
        {
            var entry = digest.Papers[i];
            if (entry is null || entry.Paper is null || entry.Score is null)
            {
                throw new ArgumentException($"The digest's paper #{i + 1} is null or has no paper or score.", nameof(digest));
            }

            if (entry.Paper.Id.IsEmpty)
            {
                throw new ArgumentException($"The digest's paper #{i + 1} has no arXiv id.", nameof(digest));
            }
        }

        if (digest.Usage is null || digest.Totals is null || digest.Categories is null || digest.Unscored is null || digest.Stages is null || digest.Navigation is null)
        {
            throw new ArgumentException("The digest has a null Usage, Totals, Categories, Unscored, Stages or Navigation.", nameof(digest));
        }

        foreach (var usage in digest.Usage)
        {
            if (usage is null)
            {
                throw new ArgumentException("The digest's Usage list contains null.", nameof(digest));
            }
        }
    }
}
