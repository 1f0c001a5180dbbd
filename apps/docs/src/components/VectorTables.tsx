/**
 * The vector files the tests run, built from `generated/vectors.json`: the upstream files grouped as
 * their provenance notes group them, each with the test files that read it, and the files this project
 * publishes in `vectors/`.
 */

import vectors from '@site/generated/vectors.json';
import type { ReactNode } from 'react';

interface VectorFile {
  file: string;
  testedBy: string[];
}

interface VectorsFile {
  upstreamFound: boolean;
  groups: { title: string; what: string; files: VectorFile[] }[];
  other: VectorFile[];
  ours: VectorFile[];
}

const data = vectors as VectorsFile;

function Files({ files, prefix }: { files: VectorFile[]; prefix: string }): ReactNode {
  return (
    <table>
      <thead>
        <tr>
          <th>file</th>
          <th>read by</th>
        </tr>
      </thead>
      <tbody>
        {files.map((v) => (
          <tr key={v.file}>
            <td>
              <code>
                {prefix}
                {v.file}
              </code>
            </td>
            <td>
              {v.testedBy.length === 0 ? (
                <em>no test yet</em>
              ) : (
                v.testedBy.map((t) => (
                  <div key={t}>
                    <code>{t}</code>
                  </div>
                ))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The upstream vector files, one table per group. */
export function UpstreamVectors(): ReactNode {
  if (!data.upstreamFound) {
    return (
      <p className="alert alert--warning" role="note">
        The upstream vector folder was not found when this site was built, so the list is empty. Set{' '}
        <code>ASYNCPAY_VECTORS</code> to the folder holding <code>bolts/</code> and <code>bips/</code>.
      </p>
    );
  }
  return (
    <>
      {data.groups.map((g) => (
        <section key={g.title}>
          <h3>
            {g.title}: {g.what}
          </h3>
          <Files files={g.files} prefix="" />
        </section>
      ))}
      {data.other.length > 0 && (
        <section>
          <h3>Other upstream files the tests read</h3>
          <Files files={data.other} prefix="" />
        </section>
      )}
    </>
  );
}

/** The vector files this project publishes. */
export function OurVectors(): ReactNode {
  if (data.ours.length === 0) {
    return (
      <p>
        <em>
          None published yet: the generators that write <code>vectors/</code> arrive with the schemes.
        </em>
      </p>
    );
  }
  return <Files files={data.ours} prefix="vectors/" />;
}
