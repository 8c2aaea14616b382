output adminPassword string = 'Fake-Output-Pa55word!'
